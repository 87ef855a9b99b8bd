#include "mic_capture.h"

#include "driver/i2s_std.h"
#include "esp_log.h"

static const char *TAG = "mic";

#define CHUNK_MS 20
#define CHUNK_SAMPLES (DEVICE_SAMPLE_RATE * CHUNK_MS / 1000)

static i2s_chan_handle_t s_rx;

static void capture_task(void *arg)
{
    device_audio_t *audio = arg;
    static int32_t slots[CHUNK_SAMPLES];
    static int16_t pcm[CHUNK_SAMPLES];
    uint32_t read_errors = 0;
    for (;;) {
        size_t bytes = 0;
        esp_err_t err = i2s_channel_read(s_rx, slots, sizeof(slots), &bytes, pdMS_TO_TICKS(1000));
        if (err != ESP_OK || bytes == 0) {
            if (++read_errors % 50 == 1) {
                ESP_LOGW(TAG, "i2s read failed: %s", esp_err_to_name(err));
            }
            continue;
        }
        size_t samples = bytes / sizeof(int32_t);
        sf_i2s32_to_pcm16(slots, pcm, samples, CONFIG_SF_MIC_SHIFT);
        /* The ring overwrites its oldest audio: capture never waits for the encoder or the network. */
        device_audio_lock(audio);
        sf_ring_write(&audio->ring, pcm, samples);
        device_audio_unlock(audio);
        if (audio->encoder_task != NULL) {
            xTaskNotifyGive(audio->encoder_task);
        }
    }
}

esp_err_t mic_capture_start(device_audio_t *audio)
{
    i2s_chan_config_t channel = I2S_CHANNEL_DEFAULT_CONFIG(I2S_NUM_0, I2S_ROLE_MASTER);
    channel.dma_desc_num = 8;
    channel.dma_frame_num = CHUNK_SAMPLES;
    ESP_ERROR_CHECK(i2s_new_channel(&channel, NULL, &s_rx));

    /* The INMP441 sends 24-bit samples left-aligned in 32-bit Philips slots, on the slot its L/R pin selects. */
    i2s_std_config_t config = {
        .clk_cfg = I2S_STD_CLK_DEFAULT_CONFIG(DEVICE_SAMPLE_RATE),
        .slot_cfg = I2S_STD_PHILIPS_SLOT_DEFAULT_CONFIG(I2S_DATA_BIT_WIDTH_32BIT, I2S_SLOT_MODE_MONO),
        .gpio_cfg =
            {
                .mclk = I2S_GPIO_UNUSED,
                .bclk = CONFIG_SF_I2S_BCLK_GPIO,
                .ws = CONFIG_SF_I2S_WS_GPIO,
                .dout = I2S_GPIO_UNUSED,
                .din = CONFIG_SF_I2S_DIN_GPIO,
                .invert_flags = {.mclk_inv = false, .bclk_inv = false, .ws_inv = false},
            },
    };
#if CONFIG_SF_MIC_RIGHT_SLOT
    config.slot_cfg.slot_mask = I2S_STD_SLOT_RIGHT;
#else
    config.slot_cfg.slot_mask = I2S_STD_SLOT_LEFT;
#endif
    ESP_ERROR_CHECK(i2s_channel_init_std_mode(s_rx, &config));
    ESP_ERROR_CHECK(i2s_channel_enable(s_rx));
    ESP_LOGI(TAG, "I2S microphone: SCK %d, WS %d, SD %d, %s slot, 16 kHz", CONFIG_SF_I2S_BCLK_GPIO,
             CONFIG_SF_I2S_WS_GPIO, CONFIG_SF_I2S_DIN_GPIO, CONFIG_SF_MIC_RIGHT_SLOT ? "right" : "left");
    /* Highest of the device's tasks, on the core Wi-Fi does not run on. */
    BaseType_t created = xTaskCreatePinnedToCore(capture_task, "mic", 4096, audio, 10, NULL, 1);
    return created == pdPASS ? ESP_OK : ESP_ERR_NO_MEM;
}
