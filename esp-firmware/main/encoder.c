#include "encoder.h"

#include <string.h>

#include "esp_audio_types.h"
#include "esp_heap_caps.h"
#include "esp_log.h"
#include "esp_opus_enc.h"

static const char *TAG = "encoder";

typedef struct {
    device_audio_t *audio;
    void *opus;               /* esp_opus_enc handle; NULL for PCM */
    int16_t *pcm;
    uint8_t *packet;
    size_t packet_cap;
    sf_silence_t silence;
} encoder_t;

static esp_opus_enc_frame_duration_t opus_duration(int frame_ms)
{
    return frame_ms == 20 ? ESP_OPUS_ENC_FRAME_DURATION_20_MS
           : frame_ms == 40 ? ESP_OPUS_ENC_FRAME_DURATION_40_MS
                            : ESP_OPUS_ENC_FRAME_DURATION_60_MS;
}

/* A fresh encoder for every socket: the router decodes each socket with a fresh decoder. */
static esp_err_t open_codec(encoder_t *encoder)
{
    if (encoder->opus != NULL) {
        esp_opus_enc_close(encoder->opus);
        encoder->opus = NULL;
    }
    sf_silence_init(&encoder->silence, CONFIG_SF_FLUSH_SILENCE_MS > 0 ? CONFIG_SF_FLUSH_SILENCE_MS : 1, 200);
    if (encoder->audio->encoding != SF_ENCODING_OPUS) {
        return ESP_OK;
    }
    esp_opus_enc_config_t config = ESP_OPUS_ENC_CONFIG_DEFAULT();
    config.sample_rate = ESP_AUDIO_SAMPLE_RATE_16K;
    config.channel = ESP_AUDIO_MONO;
    config.bits_per_sample = ESP_AUDIO_BIT16;
    config.bitrate = CONFIG_SF_OPUS_BITRATE;
    config.frame_duration = opus_duration(encoder->audio->frame_ms);
    config.application_mode = ESP_OPUS_ENC_APPLICATION_VOIP;
    config.complexity = CONFIG_SF_OPUS_COMPLEXITY;
    config.enable_fec = false;
    config.enable_dtx = false; /* the router's VAD wants every frame; silence costs few bytes anyway */
    config.enable_vbr = true;
    esp_audio_err_t err = esp_opus_enc_open(&config, sizeof(config), &encoder->opus);
    if (err != ESP_AUDIO_ERR_OK || encoder->opus == NULL) {
        ESP_LOGE(TAG, "esp_opus_enc_open failed: %d", (int) err);
        return ESP_FAIL;
    }
    int in_size = 0, out_size = 0;
    esp_opus_enc_get_frame_size(encoder->opus, &in_size, &out_size);
    if ((size_t) in_size != encoder->audio->frame_samples * sizeof(int16_t)) {
        ESP_LOGE(TAG, "the Opus encoder wants %d bytes per frame, not one %d ms frame", in_size,
                 encoder->audio->frame_ms);
        return ESP_FAIL;
    }
    if ((size_t) out_size > encoder->packet_cap) {
        /* The codec asks for a worst-case buffer; packets at the configured rate fit the queue's slots. */
        heap_caps_free(encoder->packet);
        encoder->packet = heap_caps_malloc((size_t) out_size, MALLOC_CAP_INTERNAL | MALLOC_CAP_8BIT);
        encoder->packet_cap = encoder->packet != NULL ? (size_t) out_size : 0;
        if (encoder->packet == NULL) {
            return ESP_ERR_NO_MEM;
        }
    }
    return ESP_OK;
}

/* One frame's packet into packet; its length, or -1. */
static int encode_frame(encoder_t *encoder)
{
    size_t samples = encoder->audio->frame_samples;
    if (encoder->opus == NULL) {
        memcpy(encoder->packet, encoder->pcm, samples * sizeof(int16_t)); /* the ESP32-S3 is little-endian */
        return (int) (samples * sizeof(int16_t));
    }
    esp_audio_enc_in_frame_t in = {.buffer = (uint8_t *) encoder->pcm, .len = (uint32_t) (samples * sizeof(int16_t))};
    esp_audio_enc_out_frame_t out = {.buffer = encoder->packet, .len = (uint32_t) encoder->packet_cap};
    esp_audio_err_t err = esp_opus_enc_process(encoder->opus, &in, &out);
    return err == ESP_AUDIO_ERR_OK ? (int) out.encoded_bytes : -1;
}

/* Audio the ring lost before it was encoded (a stalled encoder) becomes lost frames, keeping the clock. */
static void skip_lost(device_audio_t *audio)
{
    uint64_t oldest = sf_ring_oldest(&audio->ring);
    while (audio->encode_pos < oldest) {
        static const uint8_t none[1] = {0};
        sf_sendq_push(&audio->queue, none, 0, device_audio_session_ms(audio, audio->encode_pos));
        audio->encode_pos += audio->frame_samples;
    }
}

static void encoder_task(void *arg)
{
    encoder_t *encoder = arg;
    device_audio_t *audio = encoder->audio;
    uint32_t generation = UINT32_MAX;
    uint32_t failures = 0;
    for (;;) {
        ulTaskNotifyTake(pdTRUE, pdMS_TO_TICKS(100));
        device_audio_lock(audio);
        while (audio->streaming) {
            if (generation != audio->generation) {
                generation = audio->generation;
                device_audio_unlock(audio);
                if (open_codec(encoder) != ESP_OK) {
                    vTaskDelay(pdMS_TO_TICKS(1000));
                    generation = UINT32_MAX;
                }
                device_audio_lock(audio);
                continue;
            }
            skip_lost(audio);
            if (audio->encode_pos + audio->frame_samples > audio->ring.written) {
                break;
            }
            uint64_t position = audio->encode_pos;
            sf_ring_read(&audio->ring, position, encoder->pcm, audio->frame_samples);
            device_audio_unlock(audio);

            int length = encode_frame(encoder); /* the long part, without the lock */
            bool silence = CONFIG_SF_FLUSH_SILENCE_MS > 0
                           && sf_silence_feed(&encoder->silence, encoder->pcm, audio->frame_samples, DEVICE_SAMPLE_RATE);

            device_audio_lock(audio);
            if (generation != audio->generation || position != audio->encode_pos) {
                continue; /* the link moved the audio meanwhile: this frame is not wanted */
            }
            int64_t position_ms = device_audio_session_ms(audio, position);
            if (length < 0) {
                if (++failures % 50 == 1) {
                    ESP_LOGW(TAG, "encoding failed at %lld ms; sending it as lost", (long long) position_ms);
                }
                length = 0;
            }
            if (!sf_sendq_push(&audio->queue, encoder->packet, (size_t) length, position_ms)) {
                sf_sendq_push(&audio->queue, encoder->packet, 0, position_ms); /* longer than a slot: lost */
            }
            audio->encode_pos += audio->frame_samples;
            if (silence) {
                audio->flush_at_ms = position_ms + audio->frame_ms;
            }
        }
        device_audio_unlock(audio);
        if (audio->link_task != NULL) {
            xTaskNotifyGive(audio->link_task);
        }
    }
}

esp_err_t encoder_start(device_audio_t *audio)
{
    static encoder_t encoder;
    encoder.audio = audio;
    encoder.pcm = heap_caps_malloc(audio->frame_samples * sizeof(int16_t), MALLOC_CAP_INTERNAL | MALLOC_CAP_8BIT);
    encoder.packet_cap = audio->queue.slot_bytes;
    encoder.packet = heap_caps_malloc(encoder.packet_cap, MALLOC_CAP_INTERNAL | MALLOC_CAP_8BIT);
    if (encoder.pcm == NULL || encoder.packet == NULL) {
        return ESP_ERR_NO_MEM;
    }
    /* Opus at complexity 3 on 60 ms frames needs a deep stack; the task sits on core 1 beside capture. */
    BaseType_t created = xTaskCreatePinnedToCore(encoder_task, "encoder", 24 * 1024, &encoder, 8,
                                                 &audio->encoder_task, 1);
    return created == pdPASS ? ESP_OK : ESP_ERR_NO_MEM;
}
