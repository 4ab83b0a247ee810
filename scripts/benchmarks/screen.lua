-- wrk script: POST /screen with a rotating set of names (listed, near-listed and clean), bearer key from KEY.
local names = {
  "Hikvision", "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO LTD", "Banco Nacional de Cuba", "Siemens AG", "Acme Trading LLC",
  "Emiro del Carmen Ropero Suarez", "Gazprom OAO", "Jennifer Adams", "Nimr International LLC", "Uralvagonzavod",
  "Ocean Star Shipping", "Mohammad Ali", "Sergei Ivanovich Neverov", "Contoso Pharmaceuticals", "Bank Melli Iran",
}
local counter = 0
-- BATCH=n: POST /screen/batch of n subjects instead, each with its own reference.
local batch = tonumber(os.getenv("BATCH") or "0")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KEY")
-- CLOSE=1: a new connection for every request, as clients that do not keep connections make.
if os.getenv("CLOSE") == "1" then wrk.headers["Connection"] = "close" end
local function subject()
  counter = counter + 1
  return '{"name": "' .. names[(counter % #names) + 1] .. '", "reference": "bench-' .. counter .. '"}'
end
request = function()
  if batch > 0 then
    local subjects = {}
    for i = 1, batch do subjects[i] = subject() end
    return wrk.format(nil, "/screen/batch", nil, "[" .. table.concat(subjects, ",") .. "]")
  end
  return wrk.format(nil, "/screen", nil, subject())
end
