/**
 * Internal: concurrency helpers shared by the packages of this module ({@link
 * dev.ssrl.tasks.impl.Parallel}: splitting one sample's work over idle cores). Not API.
 */
package dev.ssrl.tasks.impl;
