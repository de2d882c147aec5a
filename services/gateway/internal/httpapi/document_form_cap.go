package httpapi

// maxDocument is the services' limit on one case or application document
// (20 MB); the document pages moved to their areas (pages/injury,
// pages/grants, pages/care), the cap of their forms' bodies stays with the
// router.
const maxDocument = 20 << 20

// maxDocumentForm caps the body of the document upload forms: the file and
// the form around it.
const maxDocumentForm = maxDocument + 1<<20
