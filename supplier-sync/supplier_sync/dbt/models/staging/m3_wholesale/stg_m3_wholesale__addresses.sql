select
    'm3_wholesale' as source,
    owner_type || '-' || owner_id || '-' || address_type as address_id,
    case when owner_type = 'order' then owner_id end as order_id,
    address_type,
    nullif(concat_ws(' ', first_name, last_name), '') as name,
    cast(null as {{ dbt.type_string() }}) as company,
    coalesce(concat_ws(' ', street, number, nullif(number_suffix, '')), concat_ws(' ', address_one_street, address_one_number, address_one_additional)) as street,
    city,
    coalesce(postal_code, zipcode) as postal_code,
    coalesce(cc, country) as country
from {{ source('m3_wholesale', 'addresses') }}
