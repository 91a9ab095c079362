select
    'm3_wholesale' as source,
    sku,
    barcode ->> 'value' as ean,
    cast(null as {{ dbt.type_string() }}) as name,  -- the product list has no title (order lines do)
    cast(null as {{ dbt.type_string() }}) as brand,
    cast(prices -> 0 ->> 'exvat' as decimal(18, 4)) as price,  -- the first (lowest minqty) price, ex VAT
    cast(null as {{ dbt.type_string() }}) as currency,
    cast(last_modified as {{ dbt.type_timestamp() }}) as updated_at
from {{ source('m3_wholesale', 'products') }}
