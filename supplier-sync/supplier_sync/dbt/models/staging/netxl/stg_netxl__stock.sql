select
    'netxl' as source,
    sku,
    cast(availability ->> 'stock' as bigint) as quantity,
    cast(availability ->> 'in_stock' as boolean) as in_stock,
    cast(_airbyte_extracted_at as {{ dbt.type_timestamp() }}) as as_of  -- live data: as of the read
from {{ source('netxl', 'products') }}
