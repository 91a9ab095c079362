select
    'rec_plus' as source,
    code as sku,
    cast(null as {{ dbt.type_string() }}) as ean,  -- REC+ products carry no EAN (options have an empty gtin)
    name,
    manufacturer ->> 'name' as brand,
    cast(nullif(price ->> 'normal', '') as decimal(18, 4)) as price,
    cast(null as {{ dbt.type_string() }}) as currency,  -- the shop's currency; the doc names none
    {{ utc_from_local("nullif(updated_at, '')", 'Europe/London') }} as updated_at
from {{ source('rec_plus', 'products') }}
