/*
 * The audio state the capture, encoder and link tasks share, behind one mutex: the ring of recent
 * PCM on the device's sample clock, the bounded send queue, and where the session's audio stands.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "esp_err.h"
#include "freertos/FreeRTOS.h"
#include "freertos/semphr.h"
#include "freertos/task.h"
#include "sf_protocol.h"

#define DEVICE_SAMPLE_RATE 16000

typedef struct {
    SemaphoreHandle_t lock;
    sf_ring_t ring;
    sf_sendq_t queue;
    sf_encoding_t encoding;
    int frame_ms;
    size_t frame_samples;
    uint64_t origin;          /* ring position of the session clock's 0 */
    uint64_t encode_pos;      /* ring position of the next frame to encode */
    uint32_t generation;      /* bumped when the link moves encode_pos: the encoder starts a fresh codec */
    bool streaming;           /* a socket is ready for audio: the encoder runs */
    int64_t flush_at_ms;      /* a flush is due once the audio before it is sent (-1: none) */
    TaskHandle_t encoder_task;
    TaskHandle_t link_task;
} device_audio_t;

esp_err_t device_audio_init(device_audio_t *audio, sf_encoding_t encoding, int frame_ms);
void device_audio_lock(device_audio_t *audio);
void device_audio_unlock(device_audio_t *audio);
/** Session clock of a ring position (lock held). */
int64_t device_audio_session_ms(const device_audio_t *audio, uint64_t position);
/** The oldest session position the ring still holds (lock held). */
int64_t device_audio_oldest_ms(const device_audio_t *audio);
