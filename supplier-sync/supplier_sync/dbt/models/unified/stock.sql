{{ union_suppliers('stock', ['netxl', 'rec_plus', 'yodify', 'm3_wholesale']) }}
