select
    'netxl' as source,
    cast(cast(id as bigint) as {{ dbt.type_string() }}) as address_id,
    cast(null as {{ dbt.type_string() }}) as order_id,
    'account' as address_type,  -- the trade account's saved delivery addresses
    contact_name as name,
    company_name as company,
    concat_ws(', ', street_one, street_two, street_three) as street,
    city,
    zip as postal_code,
    country_code as country
from {{ source('netxl', 'addresses') }}
