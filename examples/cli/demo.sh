qtk demo --out demo-out --runs 50
