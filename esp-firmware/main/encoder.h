/* The encoder task: frames from the ring, Opus (esp_audio_codec) or PCM, into the bounded send queue. */
#pragma once

#include "device_audio.h"
#include "esp_err.h"

esp_err_t encoder_start(device_audio_t *audio);
