select
    'rec_plus' as source,
    cast(o.id as {{ dbt.type_string() }}) as order_id,
    cast(o.id as {{ dbt.type_string() }}) as order_number,  -- REC+ numbers orders by id (invoice_id is the invoice's)
    coalesce(nullif(o.customers_order_id, ''), nullif(o.purchase_order_number, '')) as customer_reference,
    m.status,
    o.status as supplier_status,
    {{ utc_from_local("nullif(o.start_date, '')", 'Europe/London') }} as ordered_at,
    {{ utc_from_local("coalesce(nullif(o.payment_date, ''), nullif(o.start_date, ''))", 'Europe/London') }} as updated_at,
    cast(o.totals ->> 'price' as decimal(18, 4)) as total,
    cast(null as {{ dbt.type_string() }}) as currency
from {{ source('rec_plus', 'orders') }} as o
left join {{ ref('order_statuses') }} as m on m.source = 'rec_plus' and lower(m.supplier_status) = lower(o.status)
