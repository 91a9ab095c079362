select
    'netxl' as source,
    sku,
    ean,
    name,
    manufacturer as brand,
    single_unit_cost as price,  -- the one-unit trade price; five_plus/ten_plus are volume prices
    cast(null as {{ dbt.type_string() }}) as currency,  -- the doc names no currency
    cast(null as {{ dbt.type_timestamp() }}) as updated_at  -- the catalogue carries no modification time
from {{ source('netxl', 'products') }}
