/**
 * The MCP server, over Streamable HTTP at {@code /mcp} and over stdio.
 */
package dev.refrain.mcp;
