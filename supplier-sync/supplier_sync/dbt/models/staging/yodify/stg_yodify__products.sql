select
    'yodify' as source,
    sku_identifier as sku,
    cast(null as {{ dbt.type_string() }}) as ean,  -- SKUs have no EAN field; manufacturer_part_number may hold one
    short_description as name,
    brand ->> 'name' as brand,
    list_price as price,
    cast(null as {{ dbt.type_string() }}) as currency,
    cast(modified_on as {{ dbt.type_timestamp() }}) as updated_at
from {{ source('yodify', 'skus') }}
