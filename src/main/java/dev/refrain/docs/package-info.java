/**
 * The API's published description: {@code /openapi.json} and the {@code /docs} page.
 */
package dev.refrain.docs;
