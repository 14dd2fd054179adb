# The two commands of the README's quick start.
.PHONY: run test setup
run:  ## set up what is missing, build the release site and serve it on http://127.0.0.1:3000
	./scripts/run.sh
test: ## set up what is missing and run every check and test
	./scripts/test.sh
setup:
	./scripts/setup.sh
