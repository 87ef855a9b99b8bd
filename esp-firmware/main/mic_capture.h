/* I2S standard-mode capture from an INMP441-class MEMS microphone into the ring, never waiting on the network. */
#pragma once

#include "device_audio.h"
#include "esp_err.h"

esp_err_t mic_capture_start(device_audio_t *audio);
