select
    'm3_wholesale' as source,
    cast(shipment_id as {{ dbt.type_string() }}) || '-' || cast(piece_number as {{ dbt.type_string() }}) as shipment_id,  -- one row per parcel
    cast(order_id as {{ dbt.type_string() }}) as order_id,
    tracker_code as tracking_number,
    cast(null as {{ dbt.type_string() }}) as tracking_url,
    courier as carrier,
    cast(created_at as {{ dbt.type_timestamp() }}) as shipped_at
from {{ source('m3_wholesale', 'shipments') }}
