select
    'vidaxl' as source,
    cast(order_id as {{ dbt.type_string() }}) as address_id,
    cast(order_id as {{ dbt.type_string() }}) as order_id,
    'delivery' as address_type,
    cast(null as {{ dbt.type_string() }}) as name,
    cast(null as {{ dbt.type_string() }}) as company,
    concat_ws(', ', nullif(address, ''), nullif(address2, '')) as street,
    city,
    postal_code,
    country
from {{ source('vidaxl', 'addresses') }}
