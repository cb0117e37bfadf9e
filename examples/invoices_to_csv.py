"""Write a QuickBooks company's invoices to a CSV file: python examples/invoices_to_csv.py NAME FILE.csv"""
import csv
import sys

from qbdesk import client

name, path = sys.argv[1], sys.argv[2]
with client.session(name) as qbo:  # the company of credential NAME; its token is refreshed when needed
    answer = qbo.get("query", params={"query": "select * from Invoice maxresults 1000", "minorversion": "75"})
    answer.raise_for_status()
    invoices = answer.json()["QueryResponse"].get("Invoice", [])
with open(path, "w", newline="", encoding="utf-8") as out:
    rows = csv.writer(out)
    rows.writerow(["Number", "Date", "Customer", "Total", "Balance"])
    rows.writerows([i["DocNumber"], i["TxnDate"], i["CustomerRef"]["name"], i["TotalAmt"], i["Balance"]] for i in invoices)
