select
    'vidaxl' as source,
    cast(order_id as {{ dbt.type_string() }}) as shipment_id,  -- one shipment per sent order (status 5)
    cast(order_id as {{ dbt.type_string() }}) as order_id,
    tracking_number,
    tracking_url,
    carrier,
    cast(null as {{ dbt.type_timestamp() }}) as shipped_at  -- the doc gives no shipping time
from {{ source('vidaxl', 'shipments') }}
