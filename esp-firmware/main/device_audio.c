#include "device_audio.h"

#include <string.h>

#include "esp_heap_caps.h"
#include "esp_log.h"

static const char *TAG = "audio";

/* PSRAM first (the ring is large and touched only in frame-sized copies), internal RAM otherwise. */
static void *allocate(size_t bytes)
{
    void *memory = heap_caps_malloc(bytes, MALLOC_CAP_SPIRAM | MALLOC_CAP_8BIT);
    return memory != NULL ? memory : heap_caps_malloc(bytes, MALLOC_CAP_INTERNAL | MALLOC_CAP_8BIT);
}

esp_err_t device_audio_init(device_audio_t *audio, sf_encoding_t encoding, int frame_ms)
{
    memset(audio, 0, sizeof(*audio));
    if (!sf_frame_ms_valid(frame_ms)) {
        return ESP_ERR_INVALID_ARG;
    }
    audio->lock = xSemaphoreCreateMutex();
    audio->encoding = encoding;
    audio->frame_ms = frame_ms;
    audio->frame_samples = sf_frame_samples(DEVICE_SAMPLE_RATE, frame_ms);
    audio->flush_at_ms = -1;

    size_t ring_samples = (size_t) CONFIG_SF_RING_SECONDS * DEVICE_SAMPLE_RATE;
    int16_t *ring = allocate(ring_samples * sizeof(int16_t));
    if (ring == NULL) {
        ESP_LOGE(TAG, "no memory for a %d s ring buffer; lower it in menuconfig", CONFIG_SF_RING_SECONDS);
        return ESP_ERR_NO_MEM;
    }
    sf_ring_init(&audio->ring, ring, ring_samples);

    /* A slot holds one frame: PCM at 2 bytes a sample, Opus at most 1 byte a sample (128 kbit/s). */
    size_t slot_bytes = encoding == SF_ENCODING_OPUS ? audio->frame_samples : audio->frame_samples * 2;
    size_t slots = (size_t) CONFIG_SF_SEND_QUEUE_MS / (size_t) frame_ms + 2;
    uint8_t *storage = allocate(slots * slot_bytes);
    uint16_t *lengths = allocate(slots * sizeof(uint16_t));
    int64_t *positions = allocate(slots * sizeof(int64_t));
    if (storage == NULL || lengths == NULL || positions == NULL) {
        return ESP_ERR_NO_MEM;
    }
    sf_sendq_init(&audio->queue, storage, lengths, positions, slots, slot_bytes, (uint32_t) frame_ms,
                  (uint32_t) CONFIG_SF_SEND_QUEUE_MS);
    ESP_LOGI(TAG, "ring %d s, send queue %u frames of %d ms", CONFIG_SF_RING_SECONDS, (unsigned) slots, frame_ms);
    return ESP_OK;
}

void device_audio_lock(device_audio_t *audio)
{
    xSemaphoreTake(audio->lock, portMAX_DELAY);
}

void device_audio_unlock(device_audio_t *audio)
{
    xSemaphoreGive(audio->lock);
}

int64_t device_audio_session_ms(const device_audio_t *audio, uint64_t position)
{
    return position <= audio->origin ? 0 : sf_samples_to_ms(position - audio->origin, DEVICE_SAMPLE_RATE);
}

int64_t device_audio_oldest_ms(const device_audio_t *audio)
{
    return device_audio_session_ms(audio, sf_ring_oldest(&audio->ring));
}
