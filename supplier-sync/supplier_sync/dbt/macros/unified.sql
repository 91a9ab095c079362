{# The columns of each unified entity and their types: every supplier's staging model is cast to
   them, and an entity no configured supplier has is an empty table of the same shape. #}
{% macro entity_columns(entity) %}
  {%- set text = dbt.type_string() -%}
  {%- set ts = dbt.type_timestamp() -%}
  {%- set money = 'decimal(18, 4)' -%}
  {%- set columns = {
    'products': [('source', text), ('sku', text), ('ean', text), ('name', text), ('brand', text),
                 ('price', money), ('currency', text), ('updated_at', ts)],
    'stock': [('source', text), ('sku', text), ('quantity', 'bigint'), ('in_stock', 'boolean'), ('as_of', ts)],
    'orders': [('source', text), ('order_id', text), ('order_number', text), ('customer_reference', text), ('status', text), ('supplier_status', text),
               ('ordered_at', ts), ('updated_at', ts), ('total', money), ('currency', text)],
    'order_lines': [('source', text), ('order_id', text), ('line_id', text), ('sku', text), ('name', text),
                    ('quantity', 'bigint'), ('unit_price', money), ('line_total', money)],
    'shipments': [('source', text), ('shipment_id', text), ('order_id', text),
                  ('tracking_number', text), ('tracking_url', text), ('carrier', text), ('shipped_at', ts)],
    'addresses': [('source', text), ('address_id', text), ('order_id', text), ('address_type', text), ('name', text),
                  ('company', text), ('street', text), ('city', text), ('postal_code', text), ('country', text)],
  } -%}
  {{ return(columns[entity]) }}
{% endmacro %}

{# union all of stg_<supplier>__<entity> over the suppliers that have the entity and are configured #}
{% macro union_suppliers(entity, suppliers) %}
  {%- set columns = entity_columns(entity) -%}
  {%- set present = [] -%}
  {%- for s in suppliers if s in var('suppliers') -%}{%- do present.append(s) -%}{%- endfor -%}
  {%- for s in present %}
select
  {%- for name, type in columns %}
    cast({{ adapter.quote(name) }} as {{ type }}) as {{ adapter.quote(name) }}{{ "," if not loop.last }}
  {%- endfor %}
from {{ ref('stg_' ~ s ~ '__' ~ entity) }}
{% if not loop.last %}union all{% endif %}
  {%- else %}
select
  {%- for name, type in columns %}
    cast(null as {{ type }}) as {{ adapter.quote(name) }}{{ "," if not loop.last }}
  {%- endfor %}
where 1 = 0
  {%- endfor %}
{% endmacro %}
