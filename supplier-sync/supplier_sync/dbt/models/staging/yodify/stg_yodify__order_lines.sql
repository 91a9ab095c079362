select
    'yodify' as source,
    cast(i.order_id as {{ dbt.type_string() }}) as order_id,
    cast(i.id as {{ dbt.type_string() }}) as line_id,
    s.sku_identifier as sku,
    s.short_description as name,
    i.quantity,
    i.price_per_unit as unit_price,
    i.price_per_unit * i.quantity as line_total
from {{ source('yodify', 'order_items') }} as i
left join {{ source('yodify', 'skus') }} as s on s.id = i.sku_id
