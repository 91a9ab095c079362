select
    'vidaxl' as source,
    cast(o.id as {{ dbt.type_string() }}) as order_id,
    cast(o.id as {{ dbt.type_string() }}) as order_number,
    o.customer_order_reference as customer_reference,  -- the merchant's own order number
    m.status,
    cast(o.status_order_id as {{ dbt.type_string() }}) as supplier_status,
    cast(o.submitted_at as {{ dbt.type_timestamp() }}) as ordered_at,
    cast(coalesce(o.updated_at, o.submitted_at) as {{ dbt.type_timestamp() }}) as updated_at,
    cast(o.gross_total as decimal(18, 4)) as total,
    cast(null as {{ dbt.type_string() }}) as currency
from {{ source('vidaxl', 'orders') }} as o
left join {{ ref('order_statuses') }} as m on m.source = 'vidaxl' and m.supplier_status = cast(o.status_order_id as {{ dbt.type_string() }})
