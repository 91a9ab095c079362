select
    'yodify' as source,
    sku_identifier as sku,
    cast(inventory as bigint) as quantity,
    inventory > 0 or coalesce(always_in_stock, false) as in_stock,
    cast(modified_on as {{ dbt.type_timestamp() }}) as as_of
from {{ source('yodify', 'skus') }}
