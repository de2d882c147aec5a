// Package guards holds repository-wide tests that keep known mistakes out
// of the code: keys cast to text in comparisons (issue 12), service calls
// built by hand instead of through the generated clients (issue 15), in the
// demo seed and in the gateway's page areas, and field-problem types
// declared again in a domain instead of using pkg/fielderr (issue 15). It
// has no code of its own.
package guards
