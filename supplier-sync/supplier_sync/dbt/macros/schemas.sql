{# A model's custom schema is used as it is (`unified`, not `main_unified`): the loop, the README and
   the push name these schemas. #}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name if custom_schema_name else target.schema }}
{%- endmacro %}
