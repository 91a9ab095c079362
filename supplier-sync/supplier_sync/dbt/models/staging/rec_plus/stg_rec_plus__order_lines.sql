select
    'rec_plus' as source,
    cast(order_id as {{ dbt.type_string() }}) as order_id,
    cast(id as {{ dbt.type_string() }}) as line_id,
    rel_data -> 'product' ->> 'code' as sku,
    rel_data -> 'product' ->> 'name' as name,
    qty as quantity,
    cast(price as decimal(18, 4)) / nullif(qty, 0) as unit_price,
    cast(price as decimal(18, 4)) as line_total
from {{ source('rec_plus', 'order_lines') }}
where line_type = 'PRODUCT'  -- delivery and discount lines are not goods
