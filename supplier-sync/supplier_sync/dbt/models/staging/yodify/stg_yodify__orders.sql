select
    'yodify' as source,
    cast(o.id as {{ dbt.type_string() }}) as order_id,
    o.order_number,
    o.additional_information ->> 'purchase_order_number' as customer_reference,
    m.status,
    o.order_status as supplier_status,
    cast(o.ordered_date as {{ dbt.type_timestamp() }}) as ordered_at,
    cast(o.ordered_date as {{ dbt.type_timestamp() }}) as updated_at,  -- the API's only order timestamp
    o.total,
    o.currency_code as currency
from {{ source('yodify', 'orders') }} as o
left join {{ ref('order_statuses') }} as m on m.source = 'yodify' and lower(m.supplier_status) = lower(o.order_status)
