/** Internal: JPEG strip joining for {@link dev.ssrl.tasks.image.ImageCodec}. Not API. */
package dev.ssrl.tasks.image.impl;
