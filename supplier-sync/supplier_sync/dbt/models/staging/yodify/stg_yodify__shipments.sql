select
    'yodify' as source,
    cast(id as {{ dbt.type_string() }}) as shipment_id,
    cast(order_id as {{ dbt.type_string() }}) as order_id,
    tracking_number,
    tracking_url,
    carrier,
    cast(shipped_date as {{ dbt.type_timestamp() }}) as shipped_at
from {{ source('yodify', 'shipments') }}
