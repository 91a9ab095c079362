select
    'rec_plus' as source,
    cast(order_id as {{ dbt.type_string() }}) || '-' || address_type as address_id,
    cast(order_id as {{ dbt.type_string() }}) as order_id,
    address_type,
    recipient_name as name,
    nullif(business_name, '') as company,
    concat_ws(', ', nullif(line_1, ''), nullif(line_2, '')) as street,
    town as city,
    post_code as postal_code,
    region ->> 'country' as country
from {{ source('rec_plus', 'addresses') }}
