// Package guards holds repository-wide tests that keep known performance
// mistakes out of the code (issue 12); it has no code of its own.
package guards
