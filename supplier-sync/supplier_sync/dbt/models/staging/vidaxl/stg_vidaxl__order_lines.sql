select
    'vidaxl' as source,
    cast(order_id as {{ dbt.type_string() }}) as order_id,
    cast(id as {{ dbt.type_string() }}) as line_id,
    product_code as sku,
    product_name as name,
    cast(cast(quantity as decimal(18, 4)) as bigint) as quantity,  -- sent as "4.0"
    cast(final_price as decimal(18, 4)) as unit_price,
    cast(total_after_vat as decimal(18, 4)) as line_total
from {{ source('vidaxl', 'order_products') }}
