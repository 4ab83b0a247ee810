-- wrk script for the soak: of every 10 requests, 8 are POST /screen (rotating names, an idempotency key on some),
-- one is a full-text search of the decision history and one reads the lists. Bearer key from KEY (screen, audit
-- and review roles). Counts answers by status so the soak can fail on any error.
local names = {
  "Hikvision", "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO LTD", "Banco Nacional de Cuba", "Siemens AG", "Acme Trading LLC",
  "Emiro del Carmen Ropero Suarez", "Gazprom OAO", "Jennifer Adams", "Nimr International LLC", "Uralvagonzavod",
  "Ocean Star Shipping", "Mohammad Ali", "Sergei Ivanovich Neverov", "Contoso Pharmaceuticals", "Bank Melli Iran",
}
local counter = 0
local auth = "Bearer " .. os.getenv("KEY")
request = function()
  counter = counter + 1
  local slot = counter % 10
  if slot == 8 then
    return wrk.format("GET", "/decisions?q=hikvision&limit=20", { ["Authorization"] = auth })
  elseif slot == 9 then
    return wrk.format("GET", "/lists", { ["Authorization"] = auth })
  end
  local headers = { ["Authorization"] = auth, ["Content-Type"] = "application/json" }
  local name = names[(counter % #names) + 1]
  if slot == 0 then
    -- A retried request: the same key always carries the same body, so it replays.
    local key = counter % 500
    headers["Idempotency-Key"] = "soak-" .. key
    name = names[(key % #names) + 1]
  end
  return wrk.format("POST", "/screen", headers, '{"name": "' .. name .. '", "reference": "soak"}')
end

-- Answers that are not 2xx, by status, counted per thread and added up at the end.
local threads = {}
setup = function(thread) table.insert(threads, thread) end
failed = ""
response = function(status)
  if status >= 300 then failed = failed .. status .. " " end
end

done = function(summary)
  io.write(string.format("errors: connect %d, read %d, write %d, timeout %d, status %d\n", summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout, summary.errors.status))
  local counts = {}
  for _, thread in ipairs(threads) do
    for status in string.gmatch(thread:get("failed") or "", "%d+") do counts[status] = (counts[status] or 0) + 1 end
  end
  for status, count in pairs(counts) do io.write(string.format("status %s: %d\n", status, count)) end
end
