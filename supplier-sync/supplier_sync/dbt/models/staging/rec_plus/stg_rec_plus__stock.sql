select
    'rec_plus' as source,
    code as sku,  -- product codes and variation codes
    stock as quantity,
    stock > 0 as in_stock,
    cast(_airbyte_extracted_at as {{ dbt.type_timestamp() }}) as as_of
from {{ source('rec_plus', 'stock') }}
