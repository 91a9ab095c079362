{% for kind in ['shipping', 'billing'] %}
select
    'yodify' as source,
    cast(id as {{ dbt.type_string() }}) || '-{{ kind }}' as address_id,
    cast(id as {{ dbt.type_string() }}) as order_id,
    '{{ kind }}' as address_type,
    concat_ws(' ', {{ kind }}_address ->> 'first_name', {{ kind }}_address ->> 'last_name') as name,
    {{ kind }}_address ->> 'company_name' as company,
    concat_ws(', ', {{ kind }}_address ->> 'street1', {{ kind }}_address ->> 'street2') as street,
    {{ kind }}_address ->> 'city' as city,
    {{ kind }}_address ->> 'postal_code' as postal_code,
    {{ kind }}_address ->> 'country_code' as country
from {{ source('yodify', 'orders') }}
where {{ kind }}_address is not null
{% if not loop.last %}union all{% endif %}
{% endfor %}
