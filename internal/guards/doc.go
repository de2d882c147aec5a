// Package guards holds repository-wide tests that keep known mistakes out
// of the code: keys cast to text in comparisons (issue 12), and service
// calls built by hand instead of through the generated clients (issue 15),
// in the demo seed and in the gateway's page areas. It has no code of its
// own.
package guards
