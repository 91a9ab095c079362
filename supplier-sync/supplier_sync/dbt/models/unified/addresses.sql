{{ union_suppliers('addresses', ['netxl', 'rec_plus', 'vidaxl', 'yodify', 'm3_wholesale']) }}
