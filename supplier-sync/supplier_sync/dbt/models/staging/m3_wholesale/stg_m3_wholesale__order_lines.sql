select
    'm3_wholesale' as source,
    cast(order_id as {{ dbt.type_string() }}) as order_id,
    cast(order_id as {{ dbt.type_string() }}) || '-' || product_sku as line_id,
    product_sku as sku,
    title as name,
    cast(quantity as bigint) as quantity,
    price as unit_price,
    price * quantity as line_total
from {{ source('m3_wholesale', 'order_products') }}
