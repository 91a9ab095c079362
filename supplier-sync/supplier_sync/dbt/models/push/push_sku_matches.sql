{{ config(alias='sku_matches') }}
-- Every (store SKU, supplier item) pair: a supplier's product code or EAN equals the SKU's
-- sku_identifier or manufacturer_part_number (where merchants keep an EAN). One place to change the rule.
with store_skus as (
    select id as sku_id, sku_identifier, manufacturer_part_number as mpn
    from {{ source('yodify', 'skus') }}
),

supplier_items as (
    select s.source, s.sku, p.ean, s.quantity, s.in_stock, p.price
    from {{ ref('stock') }} as s
    left join {{ ref('products') }} as p on p.source = s.source and p.sku = s.sku
    where s.source <> 'yodify'
)

select
    k.sku_id,
    k.sku_identifier,
    i.source,
    i.sku as supplier_sku,
    case when i.sku in (k.sku_identifier, k.mpn) then 'code' else 'ean' end as matched_by,
    i.quantity,
    i.in_stock,
    -- a supplier that only says in or out of stock counts as var('in_stock_units') units
    coalesce(i.quantity, case when i.in_stock then {{ var('in_stock_units', 1) }} else 0 end) as units,
    i.price,
    {{ supplier_preference('i.source') }} as preference
from store_skus as k
inner join supplier_items as i
    on i.sku in (k.sku_identifier, k.mpn) or i.ean in (k.sku_identifier, k.mpn)
