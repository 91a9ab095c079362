{{ config(alias='sku_inventory') }}
-- (numbers as double precision: PyAirbyte sends decimals as JSON strings)
-- One record per matched store SKU for destination-yodify's sku_inventory stream (schema
-- destination_yodify/schemas/sku_inventory.json): every matching supplier's units summed
-- (var stock = sum), or the most preferred matching supplier's (stock = preferred).
with ranked as (
    select *, row_number() over (partition by sku_id order by preference, source, supplier_sku) as rank
    from {{ ref('push_sku_matches') }}
)

select
    sku_identifier,
    sku_id as yodify_sku_id,
    {% if var('stock') == 'preferred' -%}
    cast(max(case when rank = 1 then units end) as double precision) as inventory,
    {%- else -%}
    cast(sum(units) as double precision) as inventory,
    {%- endif %}
    {{ airbyte_columns("cast(sku_id as " ~ dbt.type_string() ~ ")") }}
from ranked
group by sku_identifier, sku_id
