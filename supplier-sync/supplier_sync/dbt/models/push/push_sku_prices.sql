{{ config(alias='sku_prices') }}
-- list_price for the sku_prices stream: the most preferred matching supplier's price x var
-- price_markup; empty when no markup is configured (prices are then the merchant's own business).
with ranked as (
    select *, row_number() over (partition by sku_id order by preference, source, supplier_sku) as rank
    from {{ ref('push_sku_matches') }}
    where price is not null
)

select
    sku_identifier,
    sku_id as yodify_sku_id,
    cast(round(cast(price * {{ var('price_markup') or 0 }} as decimal(18, 4)), 2) as double precision) as list_price,
    {{ airbyte_columns("cast(sku_id as " ~ dbt.type_string() ~ ")") }}
from ranked
where rank = 1 and {{ 'true' if var('price_markup') else 'false' }}
