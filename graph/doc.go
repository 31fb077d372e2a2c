// Package graph is polgraph's domain: the kinds of entity, the closed
// vocabulary of relations, evidence, documents, the Batch that ingest
// produces, the Store interface both backends implement, and the one error
// type. It imports only the standard library, uuid and its own names package;
// storage, HTTP and extraction live elsewhere.
//
// Rules that both backends need (IDs, validation, how an upsert combines old
// and new values, how a relation's confidence and dates follow from its
// evidence, search scoring) live here once, so that a backend is a thin
// translator and the conformance suite in graph/storetest can hold both to
// the same answers.
package graph
