{{ union_suppliers('products', ['netxl', 'rec_plus', 'yodify', 'm3_wholesale']) }}
