-- wrk script: POST /screen/batch of 100 subjects (the names of screen.lua, each with its own reference), bearer key from KEY.
local names = {
  "Hikvision", "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO LTD", "Banco Nacional de Cuba", "Siemens AG", "Acme Trading LLC",
  "Emiro del Carmen Ropero Suarez", "Gazprom OAO", "Jennifer Adams", "Nimr International LLC", "Uralvagonzavod",
  "Ocean Star Shipping", "Mohammad Ali", "Sergei Ivanovich Neverov", "Contoso Pharmaceuticals", "Bank Melli Iran",
}
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KEY")
request = function()
  local subjects = {}
  for i = 1, 100 do
    counter = counter + 1
    subjects[i] = '{"name": "' .. names[(counter % #names) + 1] .. '", "reference": "batch-' .. counter .. '"}'
  end
  return wrk.format(nil, "/screen/batch", nil, "[" .. table.concat(subjects, ",") .. "]")
end
