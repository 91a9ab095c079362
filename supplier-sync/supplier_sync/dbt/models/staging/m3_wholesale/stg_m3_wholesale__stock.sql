select
    'm3_wholesale' as source,
    sku,
    cast(null as bigint) as quantity,  -- the doc: availability only (0 out of stock, 1 or 2 in stock; or a colour)
    lower(stock) not in ('0', 'red', 'out_of_stock', 'false') as in_stock,
    cast(as_of as {{ dbt.type_timestamp() }}) as as_of
from {{ source('m3_wholesale', 'stock') }}
