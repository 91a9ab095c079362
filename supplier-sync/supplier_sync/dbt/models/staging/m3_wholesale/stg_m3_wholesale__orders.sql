select
    'm3_wholesale' as source,
    cast(o.id as {{ dbt.type_string() }}) as order_id,
    cast(o.id as {{ dbt.type_string() }}) as order_number,
    o.reference as customer_reference,
    m.status,
    o.status as supplier_status,
    cast(null as {{ dbt.type_timestamp() }}) as ordered_at,  -- orders carry only updated_at
    cast(o.updated_at as {{ dbt.type_timestamp() }}) as updated_at,
    cast(null as decimal(18, 4)) as total,
    cast(null as {{ dbt.type_string() }}) as currency
from {{ source('m3_wholesale', 'orders') }} as o
left join {{ ref('order_statuses') }} as m on m.source = 'm3_wholesale' and lower(m.supplier_status) = lower(o.status)
