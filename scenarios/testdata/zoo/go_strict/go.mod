module example.com/garage-webhook

go 1.22
