// Package guards holds repository-wide tests that keep known mistakes out
// of the code: keys cast to text in comparisons (issue 12), service calls
// built by hand in the demo seed instead of through the generated clients,
// and field-problem types declared again in a domain instead of using
// pkg/fielderr (issue 15). It has no code of its own.
package guards
