/**
 * The ssrl-java vocabulary that other projects compile against: {@link dev.ssrl.api.Task} and its
 * {@link java.util.ServiceLoader} discovery ({@link dev.ssrl.api.Tasks}), {@link
 * dev.ssrl.api.Scene}, {@link dev.ssrl.api.Sample} or {@link dev.ssrl.api.Rejection}, {@link
 * dev.ssrl.api.Verifier} and {@link dev.ssrl.api.Reward}. No image or JSON library is needed.
 *
 * <p>A task is one room: what the rest of the system needs to know about a task (its verifier, the
 * heap it needs, its place in the default list and in presets, its preview captions) is a default
 * method of {@link dev.ssrl.api.Task} that the task may override, never a switch on its id.
 */
package dev.ssrl.api;
