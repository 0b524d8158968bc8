/**
 * Internal: concurrency helpers shared by the packages of this module ({@link
 * dev.ssrl.tasks.impl.Parallel}: splitting one sample's work over idle cores; {@link
 * dev.ssrl.tasks.impl.LastScene}: a task's per-scene work once per scene and thread). Not API.
 */
package dev.ssrl.tasks.impl;
